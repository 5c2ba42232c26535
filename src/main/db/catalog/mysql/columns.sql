-- Every column of every table and view of one database; aliases keep MySQL 8 from upper-casing the names.
select c.table_name as table_name,
       c.column_name as name,
       c.ordinal_position as ordinal,
       c.column_type as column_type,
       c.data_type as data_type,
       c.is_nullable as is_nullable,
       c.column_default as column_default,
       c.extra as extra,
       c.generation_expression as generation_expression,
       c.column_comment as comment
from information_schema.columns c
where c.table_schema = ?
order by c.table_name, c.ordinal_position
