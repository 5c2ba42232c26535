export const cliUsage = `Quarry: an offline-first database copilot.

Usage:
  quarry query <target> "<sql>" [--format table|csv|json] [--allow-writes] [--yes]
      Run SQL (several statements run in order; "-" reads them from stdin) and stream the rows to stdout.
      The session is read-only unless --allow-writes; destructive statements also need --yes.
  quarry schema <target> [--format text|json]
      Print the schema of a database.
  quarry ask <target> "<question>" [--model <file|id>] [--format text|json]
      Suggest SQL for a question with the local model, and say whether it parses and every table and
      column exists. Never runs it. --model is a GGUF file or a model in the models folder (defaults to
      the only one there); threads come from the load settings or QUARRY_LLAMA_THREADS.
      Exit 0 when the SQL is valid, 1 when the model gave up after its tries, 2 when there is no model.
  quarry serve [--port N]
      Serve the Quarry UI on http://127.0.0.1 (loopback only, with a random token).
  quarry connections list [--format text|json]
      List the saved connections.
  quarry review <folder|file|zip> [--dialect postgres|mysql|sqlite] [--server-version V]
                [--format text|json|markdown|sarif] [--fail-on error|warning|info]
                [--connection <target>] [--prove]
      Review migrations (plain SQL, Flyway, golang-migrate, dbmate, goose, Liquibase, Prisma) with no
      database and no model. Rules are configured in .quarry.yml; exit 1 when a finding reaches --fail-on.
      markdown is for a pull-request comment; sarif (2.1.0) for GitHub code scanning, with paths relative
      to the working directory when the reviewed path is inside it.
      --connection names the database the migrations will run against: each statement's table size,
      lock, rewrite estimate, foreign-key blast radius and data checks are read from it with read-only
      queries and reported (text, json, markdown; sarif as results). The dialect defaults to its own.
      --prove applies each up, then its down, in a sandbox and reports any difference in the schema:
      PostgreSQL in a transaction that is rolled back, MySQL/MariaDB in a throwaway database, SQLite in
      an in-memory copy. It runs on --connection (a saved connection only if it allows writes), which
      must hold the schema as it was before the first migration; PostgreSQL and MySQL need one.
  quarry models list [--format text|json]
      List the GGUF models in the models folder, with what each header says (or why it cannot be read).
  quarry models info <file|name> [--format text|json]
      A model's metadata and whether it fits in memory with the saved load settings, with the estimate.
  quarry models rm <name>
      Delete a model from the models folder (every part of a split model; a linked model loses its link only).
  quarry models dir [<folder>]
      Print the models folder, or move it (the models.dir setting the app uses too).
  quarry models download <url|hf:owner/repo/file.gguf|recommended-id> [--sha256 <hex>] [--file <name>]
      Download a model into the models folder with progress on stderr, resuming with HTTP Range, checking
      the sha256 (a mismatch deletes the file) and every part of a split GGUF. Ctrl-C pauses and keeps the
      partial file; the same command again resumes. Exit 130 when paused.

<target> is a connection URL (postgres://user:pass@host:5432/db, mysql://…, sqlite:///path/file.db),
the path of a SQLite file, or the name of a saved connection.

Options:
  --data-dir D    Where Quarry keeps its settings and saved connections.
                  Defaults to $QUARRY_DATA_DIR, else the desktop app's data folder.
  -h, --help      Show this help.
  -v, --version   Print the version.

Exit codes: 0 ok, 1 query error or findings at --fail-on, 2 usage, input or connection error.
`;
