-- Every column of every table and view in one statement, through the table-valued pragma. hidden is 1 for a
-- virtual table's hidden column, 2 for a VIRTUAL generated column and 3 for a STORED one.
select s.name as table_name,
       c.cid as cid,
       c.name as name,
       c.type as type,
       c."notnull" as not_null,
       c.dflt_value as default_value,
       c.pk as pk,
       c.hidden as hidden
from main.sqlite_schema as s
join pragma_table_xinfo(s.name, 'main') as c
where s.type in ('table', 'view')
  and s.name not like 'sqlite\_%' escape '\'
order by s.name, c.cid
