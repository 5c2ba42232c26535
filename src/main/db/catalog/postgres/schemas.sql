-- User schemas, empty ones included so the tree can show them. System and other sessions' temp schemas excluded.
select n.nspname as name
from pg_catalog.pg_namespace n
where n.nspname not in ('pg_catalog', 'information_schema')
  and n.nspname !~ '^pg_(toast|temp_|toast_temp_)'
order by n.nspname
