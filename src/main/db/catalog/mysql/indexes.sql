-- Index parts of one database (MariaDB, which has no functional indexes). collation 'D' marks a descending part.
select s.table_name as table_name,
       s.index_name as name,
       s.non_unique as non_unique,
       s.seq_in_index as seq,
       s.column_name as column_name,
       s.collation as collation,
       s.sub_part as sub_part,
       s.index_type as index_type,
       null as expression
from information_schema.statistics s
where s.table_schema = ?
order by s.table_name, s.index_name, s.seq_in_index
