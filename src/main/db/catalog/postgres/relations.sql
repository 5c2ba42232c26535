-- Tables, partitioned and foreign tables, views and materialized views of user schemas.
-- Row counts and sizes are the planner's statistics (reltuples; relpages of the heap, its TOAST table and TOAST
-- index here, the table's indexes added in JS from indexes.sql), as of the last VACUUM/ANALYZE/CREATE INDEX:
-- reading them opens no relation, so this query takes no lock (it cannot queue behind a migration's ACCESS
-- EXCLUSIVE lock) and stats no files, which pg_total_relation_size would do for every table, index and TOAST
-- table (5x slower on 2,000 tables, and far more on a fresh session). reltuples is -1 until the first
-- VACUUM/ANALYZE.
select c.oid::int8 as oid,
       n.nspname as schema,
       c.relname as name,
       c.relkind::text as kind,
       d.description as comment,
       case when c.relkind in ('r', 'p', 'm') then c.reltuples end as reltuples,
       case when c.relkind in ('r', 'm') then
         (c.relpages::int8 + coalesce(toast.relpages, 0) + coalesce(toast_index.relpages, 0))
         * current_setting('block_size')::int8
       end as heap_bytes,
       case when c.relkind in ('v', 'm') then pg_catalog.pg_get_viewdef(c.oid, true) end as definition
from pg_catalog.pg_class c
join pg_catalog.pg_namespace n on n.oid = c.relnamespace
left join pg_catalog.pg_class toast on toast.oid = c.reltoastrelid
left join pg_catalog.pg_index ti on ti.indrelid = c.reltoastrelid
left join pg_catalog.pg_class toast_index on toast_index.oid = ti.indexrelid
left join pg_catalog.pg_description d
  on d.objoid = c.oid and d.classoid = 'pg_catalog.pg_class'::regclass and d.objsubid = 0
where c.relkind in ('r', 'p', 'f', 'v', 'm')
  and n.nspname not in ('pg_catalog', 'information_schema')
  and n.nspname !~ '^pg_(toast|temp_|toast_temp_)'
order by n.nspname, c.relname
