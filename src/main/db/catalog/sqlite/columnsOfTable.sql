-- The columns of one table or view: the fallback when columns.sql fails because one view is broken (it names
-- a dropped table) or one virtual table's module is not loaded, so that the other objects still show.
select ? as table_name,
       c.cid as cid,
       c.name as name,
       c.type as type,
       c."notnull" as not_null,
       c.dflt_value as default_value,
       c.pk as pk,
       c.hidden as hidden
from pragma_table_xinfo(?, 'main') as c
order by c.cid
