-- CHECK constraints on MySQL 8.0.16+, whose check_constraints has no table_name (names are unique per schema).
select tc.table_name as table_name,
       cc.constraint_name as name,
       cc.check_clause as check_clause
from information_schema.table_constraints tc
join information_schema.check_constraints cc
  on cc.constraint_schema = tc.constraint_schema and cc.constraint_name = tc.constraint_name
where tc.table_schema = ?
  and tc.constraint_type = 'CHECK'
order by tc.table_name, cc.constraint_name
