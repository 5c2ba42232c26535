-- Primary key, unique, foreign key and check constraints. Column numbers are resolved to names in JS from the
-- columns query, which is cheaper than unnesting per constraint. NOT NULL lives on the column (pg < 18).
-- No ORDER BY: sorting rows that carry deparsed text spills past work_mem on big catalogs; JS sorts.
select co.conrelid::int8 as relid,
       co.conname as name,
       co.contype::text as type,
       to_json(co.conkey) as columns,
       co.confrelid::int8 as ref_relid,
       fn.nspname as ref_schema,
       fc.relname as ref_table,
       to_json(co.confkey) as ref_columns,
       co.confupdtype::text as on_update,
       co.confdeltype::text as on_delete,
       case when co.contype = 'c' then pg_catalog.pg_get_expr(co.conbin, co.conrelid, true) end as check_expr
from pg_catalog.pg_constraint co
join pg_catalog.pg_class c on c.oid = co.conrelid
join pg_catalog.pg_namespace n on n.oid = c.relnamespace
left join pg_catalog.pg_class fc on fc.oid = co.confrelid
left join pg_catalog.pg_namespace fn on fn.oid = fc.relnamespace
where co.contype in ('p', 'u', 'f', 'c')
  and n.nspname not in ('pg_catalog', 'information_schema')
  and n.nspname !~ '^pg_(toast|temp_|toast_temp_)'
