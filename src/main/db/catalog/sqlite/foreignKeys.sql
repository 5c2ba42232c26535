-- Foreign keys of every table, one row per column pair; "to" is NULL when the parent's primary key is meant.
select s.name as table_name,
       f.id as id,
       f.seq as seq,
       f."table" as ref_table,
       f."from" as from_column,
       f."to" as to_column,
       f.on_update as on_update,
       f.on_delete as on_delete
from main.sqlite_schema as s
join pragma_foreign_key_list(s.name, 'main') as f
where s.type = 'table'
  and s.name not like 'sqlite\_%' escape '\'
order by s.name, f.id, f.seq
