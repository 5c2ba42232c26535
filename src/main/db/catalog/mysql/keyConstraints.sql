-- Primary key, unique and foreign key constraints, one row per column, with the referential actions.
select tc.table_name as table_name,
       tc.constraint_name as name,
       tc.constraint_type as type,
       k.column_name as column_name,
       k.ordinal_position as ordinal,
       k.referenced_table_schema as ref_schema,
       k.referenced_table_name as ref_table,
       k.referenced_column_name as ref_column,
       rc.update_rule as on_update,
       rc.delete_rule as on_delete
from information_schema.table_constraints tc
join information_schema.key_column_usage k
  on k.constraint_schema = tc.constraint_schema
 and k.table_name = tc.table_name
 and k.constraint_name = tc.constraint_name
left join information_schema.referential_constraints rc
  on rc.constraint_schema = tc.constraint_schema
 and rc.table_name = tc.table_name
 and rc.constraint_name = tc.constraint_name
where tc.table_schema = ?
  and tc.constraint_type in ('PRIMARY KEY', 'UNIQUE', 'FOREIGN KEY')
order by tc.table_name, tc.constraint_name, k.ordinal_position
