-- Triggers of one database; MySQL allows one event per trigger.
select t.event_object_table as table_name,
       t.trigger_name as name,
       t.action_timing as timing,
       t.event_manipulation as event,
       t.action_statement as statement
from information_schema.triggers t
where t.trigger_schema = ?
order by t.event_object_table, t.action_timing, t.event_manipulation, t.action_order, t.trigger_name
