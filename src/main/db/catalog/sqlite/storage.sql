-- File size, and whether ANALYZE has left row estimates in sqlite_stat1.
select (select page_count from pragma_page_count) as page_count,
       (select page_size from pragma_page_size) as page_size,
       exists (select 1 from main.sqlite_schema where name = 'sqlite_stat1') as has_stat1
