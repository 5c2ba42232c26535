-- Routine parameters of one database; ordinal 0 is a function's return value.
select p.specific_name as specific_name,
       p.routine_type as routine_type,
       p.ordinal_position as ordinal,
       p.parameter_mode as mode,
       p.parameter_name as name,
       p.dtd_identifier as data_type
from information_schema.parameters p
where p.specific_schema = ?
order by p.specific_name, p.ordinal_position
