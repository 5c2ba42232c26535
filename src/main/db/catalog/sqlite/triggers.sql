-- Triggers with their CREATE text, which holds timing and events.
select s.tbl_name as table_name,
       s.name as name,
       s.sql as sql
from main.sqlite_schema as s
where s.type = 'trigger'
order by s.tbl_name, s.name
