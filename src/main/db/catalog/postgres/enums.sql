-- Enum types with their labels in sort order.
select n.nspname as schema,
       t.typname as name,
       json_agg(e.enumlabel::text order by e.enumsortorder) as labels
from pg_catalog.pg_type t
join pg_catalog.pg_namespace n on n.oid = t.typnamespace
join pg_catalog.pg_enum e on e.enumtypid = t.oid
where t.typtype = 'e'
  and n.nspname not in ('pg_catalog', 'information_schema')
  and n.nspname !~ '^pg_(toast|temp_|toast_temp_)'
group by n.nspname, t.typname
order by n.nspname, t.typname
