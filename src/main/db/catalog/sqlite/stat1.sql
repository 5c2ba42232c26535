-- ANALYZE's estimates: the first number of stat is the table's row count (the same on every index row).
select tbl as table_name,
       max(cast(stat as integer)) as row_count
from main.sqlite_stat1
group by tbl
