-- Indexes of tables and materialized views. indkey holds 0 for an expression part; only then is
-- pg_get_indexdef called per key part, to get each expression's text. indoption bit 1 is DESC.
-- Sizes are relpages (see relations.sql for why not pg_relation_size).
-- No ORDER BY: sorting rows that carry deparsed text spills past work_mem on big catalogs; JS sorts.
select i.indrelid::int8 as relid,
       ic.relname as name,
       i.indisunique as is_unique,
       i.indisprimary as is_primary,
       am.amname as method,
       i.indnkeyatts as key_count,
       to_json(i.indkey::int2[]) as keys,
       to_json(i.indoption::int2[]) as options,
       case when i.indexprs is not null then
         to_json(array(select pg_catalog.pg_get_indexdef(i.indexrelid, k, true)
                       from generate_series(1, i.indnkeyatts::int) k))
       end as key_defs,
       pg_catalog.pg_get_expr(i.indpred, i.indrelid, true) as predicate,
       ic.relpages::int8 * current_setting('block_size')::int8 as size_bytes
from pg_catalog.pg_index i
join pg_catalog.pg_class ic on ic.oid = i.indexrelid
join pg_catalog.pg_am am on am.oid = ic.relam
join pg_catalog.pg_class c on c.oid = i.indrelid
join pg_catalog.pg_namespace n on n.oid = c.relnamespace
where c.relkind in ('r', 'p', 'm')
  and n.nspname not in ('pg_catalog', 'information_schema')
  and n.nspname !~ '^pg_(toast|temp_|toast_temp_)'
