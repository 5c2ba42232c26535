-- Sequences with the column that owns them: deptype 'a' for serial / OWNED BY, 'i' for identity columns.
select n.nspname as schema,
       c.relname as name,
       pg_catalog.format_type(s.seqtypid, null) as data_type,
       own.nspname as owner_schema,
       oc.relname as owner_table,
       oa.attname as owner_column
from pg_catalog.pg_class c
join pg_catalog.pg_namespace n on n.oid = c.relnamespace
join pg_catalog.pg_sequence s on s.seqrelid = c.oid
left join pg_catalog.pg_depend dep
  on dep.classid = 'pg_catalog.pg_class'::regclass and dep.objid = c.oid
 and dep.refclassid = 'pg_catalog.pg_class'::regclass and dep.refobjsubid > 0 and dep.deptype in ('a', 'i')
left join pg_catalog.pg_class oc on oc.oid = dep.refobjid
left join pg_catalog.pg_namespace own on own.oid = oc.relnamespace
left join pg_catalog.pg_attribute oa on oa.attrelid = dep.refobjid and oa.attnum = dep.refobjsubid
where c.relkind = 'S'
  and n.nspname not in ('pg_catalog', 'information_schema')
  and n.nspname !~ '^pg_(toast|temp_|toast_temp_)'
order by n.nspname, c.relname
