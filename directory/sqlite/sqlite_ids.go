package sqlite

// nextID is the SQL for the id of a new row of table (listings or
// announcements): above every id the table has or ever had (see migration
// 00006_id_floors), so that no id names two entries.
func nextID(table string) string {
	return `(SELECT max(coalesce((SELECT max(id) FROM ` + table + `), 0),
		coalesce((SELECT value FROM id_floors WHERE name = '` + table + `'), 0)) + 1)`
}
