-- Tables, views and virtual tables of the main database with their CREATE text. pragma_table_list (3.37+)
-- tells virtual tables' shadow tables apart, and whether a table is WITHOUT ROWID.
select tl.name as name,
       tl.type as type,
       tl.wr as without_rowid,
       s.sql as sql
from pragma_table_list as tl
join main.sqlite_schema as s on s.name = tl.name and s.type in ('table', 'view')
where tl.schema = 'main'
  and tl.type in ('table', 'view', 'virtual')
  and tl.name not like 'sqlite\_%' escape '\'
order by tl.name
