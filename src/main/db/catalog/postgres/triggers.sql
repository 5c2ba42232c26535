-- User triggers (internal ones implement FKs and are skipped). tgtype bits: 2 BEFORE, 64 INSTEAD OF,
-- 4 INSERT, 8 DELETE, 16 UPDATE, 32 TRUNCATE.
select t.tgrelid::int8 as relid,
       t.tgname as name,
       t.tgtype::int as type,
       pg_catalog.pg_get_triggerdef(t.oid, true) as definition
from pg_catalog.pg_trigger t
join pg_catalog.pg_class c on c.oid = t.tgrelid
join pg_catalog.pg_namespace n on n.oid = c.relnamespace
where not t.tgisinternal
  and n.nspname not in ('pg_catalog', 'information_schema')
  and n.nspname !~ '^pg_(toast|temp_|toast_temp_)'
order by t.tgrelid, t.tgname
