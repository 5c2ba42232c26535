-- Tables, views and (MariaDB) sequences of one database. table_rows is InnoDB's estimate; data_length and
-- index_length come from the same statistics, so neither scans a table.
select t.table_name as name,
       t.table_type as table_type,
       t.engine as engine,
       t.table_comment as comment,
       t.table_rows as table_rows,
       t.data_length + t.index_length as size_bytes,
       t.create_options as create_options
from information_schema.tables t
where t.table_schema = ?
order by t.table_name
