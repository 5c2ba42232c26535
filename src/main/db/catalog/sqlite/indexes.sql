-- Key parts of every index (origin 'c' CREATE INDEX, 'u' UNIQUE constraint, 'pk' PRIMARY KEY), with the
-- CREATE INDEX text that holds expressions and a partial index's WHERE. cid -2 marks an expression part.
select s.name as table_name,
       il.name as name,
       il."unique" as is_unique,
       il.origin as origin,
       il.partial as partial,
       ii.seqno as seqno,
       ii.cid as cid,
       ii.name as column_name,
       ii."desc" as descending,
       ix.sql as sql
from main.sqlite_schema as s
join pragma_index_list(s.name, 'main') as il
join pragma_index_xinfo(il.name, 'main') as ii
left join main.sqlite_schema as ix on ix.type = 'index' and ix.name = il.name
where s.type = 'table'
  and s.name not like 'sqlite\_%' escape '\'
  and ii.key = 1
order by s.name, il.name, ii.seqno
