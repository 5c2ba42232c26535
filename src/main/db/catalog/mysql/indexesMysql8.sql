-- Index parts of one database on MySQL 8.0.13+, where a functional part has an expression and no column.
select s.table_name as table_name,
       s.index_name as name,
       s.non_unique as non_unique,
       s.seq_in_index as seq,
       s.column_name as column_name,
       s.collation as collation,
       s.sub_part as sub_part,
       s.index_type as index_type,
       s.expression as expression
from information_schema.statistics s
where s.table_schema = ?
order by s.table_name, s.index_name, s.seq_in_index
