-- Every column of every table and view in one pass; grouped by relid in JS.
-- No ORDER BY: sorting rows that carry deparsed text spills past work_mem on big catalogs; JS sorts.
-- A DEFAULT cannot refer to columns, so it is deparsed without the table as context (relid 0), which spares
-- opening every table (a relcache build each on a fresh session, and a lock); generated columns need it.
select a.attrelid::int8 as relid,
       a.attnum as num,
       a.attname as name,
       pg_catalog.format_type(a.atttypid, a.atttypmod) as data_type,
       a.attnotnull as not_null,
       case when a.attgenerated = '' then pg_catalog.pg_get_expr(ad.adbin, 0)
            else pg_catalog.pg_get_expr(ad.adbin, ad.adrelid)
       end as default_expr,
       a.attidentity::text as identity,
       a.attgenerated::text as generated,
       d.description as comment
from pg_catalog.pg_attribute a
join pg_catalog.pg_class c on c.oid = a.attrelid
join pg_catalog.pg_namespace n on n.oid = c.relnamespace
left join pg_catalog.pg_attrdef ad on ad.adrelid = a.attrelid and ad.adnum = a.attnum
left join pg_catalog.pg_description d
  on d.objoid = a.attrelid and d.classoid = 'pg_catalog.pg_class'::regclass and d.objsubid = a.attnum
where c.relkind in ('r', 'p', 'f', 'v', 'm')
  and a.attnum > 0
  and not a.attisdropped
  and n.nspname not in ('pg_catalog', 'information_schema')
  and n.nspname !~ '^pg_(toast|temp_|toast_temp_)'
