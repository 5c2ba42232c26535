-- Functions, procedures and aggregates of user schemas, without those that belong to an extension.
select n.nspname as schema,
       p.proname as name,
       p.prokind::text as kind,
       pg_catalog.pg_get_function_arguments(p.oid) as arguments,
       pg_catalog.pg_get_function_result(p.oid) as result,
       l.lanname as language
from pg_catalog.pg_proc p
join pg_catalog.pg_namespace n on n.oid = p.pronamespace
join pg_catalog.pg_language l on l.oid = p.prolang
where n.nspname not in ('pg_catalog', 'information_schema')
  and n.nspname !~ '^pg_(toast|temp_|toast_temp_)'
  and not exists (
    select 1 from pg_catalog.pg_depend dep
    where dep.classid = 'pg_catalog.pg_proc'::regclass and dep.objid = p.oid and dep.deptype = 'e')
order by n.nspname, p.proname, p.oid
