-- CHECK constraints on MariaDB 10.2+, where names are unique per table only, so check_constraints carries it.
-- Includes the json_valid() checks MariaDB adds for JSON columns: they are real constraints.
select cc.table_name as table_name,
       cc.constraint_name as name,
       cc.check_clause as check_clause
from information_schema.check_constraints cc
where cc.constraint_schema = ?
order by cc.table_name, cc.constraint_name
