-- Bytes of each table and index b-tree, from the dbstat virtual table (when SQLite was built with it, as
-- better-sqlite3 is). It reads every page, so it is only run on small files.
select name as name,
       pgsize as size_bytes
from dbstat('main', 1)
