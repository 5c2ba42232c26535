-- Stored functions and procedures of one database; their arguments come from parameters.sql.
select r.specific_name as specific_name,
       r.routine_name as name,
       r.routine_type as routine_type,
       r.dtd_identifier as returns,
       r.routine_body as body_language
from information_schema.routines r
where r.routine_schema = ?
order by r.routine_name, r.specific_name
