-- View definitions of one database; their columns come from columns.sql.
select v.table_name as name,
       v.view_definition as definition
from information_schema.views v
where v.table_schema = ?
order by v.table_name
