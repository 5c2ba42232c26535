-- Tables, partitioned and foreign tables, views and materialized views of user schemas.
-- reltuples is the planner's estimate (-1 until the first VACUUM/ANALYZE); pg_total_relation_size counts heap,
-- TOAST and indexes, and holds its AccessShareLock only for the call.
select c.oid::int8 as oid,
       n.nspname as schema,
       c.relname as name,
       c.relkind::text as kind,
       d.description as comment,
       case when c.relkind in ('r', 'p', 'm') then c.reltuples end as reltuples,
       case when c.relkind in ('r', 'm') then pg_catalog.pg_total_relation_size(c.oid) end as size_bytes,
       case when c.relkind in ('v', 'm') then pg_catalog.pg_get_viewdef(c.oid, true) end as definition
from pg_catalog.pg_class c
join pg_catalog.pg_namespace n on n.oid = c.relnamespace
left join pg_catalog.pg_description d
  on d.objoid = c.oid and d.classoid = 'pg_catalog.pg_class'::regclass and d.objsubid = 0
where c.relkind in ('r', 'p', 'f', 'v', 'm')
  and n.nspname not in ('pg_catalog', 'information_schema')
  and n.nspname !~ '^pg_(toast|temp_|toast_temp_)'
order by n.nspname, c.relname
