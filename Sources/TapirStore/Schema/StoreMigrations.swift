import GRDB

/// The numbered schema migrations of `tapir.sqlite`. Never edit a shipped migration: add
/// the next one. docs/ARCHITECTURE.md documents the resulting schema.
public enum StoreMigrations {
    /// Migration identifiers in order.
    public static let identifiers = ["v1", "v2", "v3", "v4", "v5", "v6-trainer-process"]

    /// The migrator for every workspace database.
    public static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1", migrate: v1)
        migrator.registerMigration("v2", migrate: v2)
        migrator.registerMigration("v3", migrate: v3)
        migrator.registerMigration("v4", migrate: v4)
        migrator.registerMigration("v5", migrate: v5)
        migrator.registerMigration("v6-trainer-process", migrate: v6TrainerProcess)
        return migrator
    }

    /// Instructions, responses, judgements, difficulty, selection, rounds, expansions,
    /// LLM calls, trainer runs and loss, evaluations, events.
    static func v1(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE instructions (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                text TEXT NOT NULL,
                input TEXT NOT NULL DEFAULT '',
                source TEXT NOT NULL,
                parent_id INTEGER REFERENCES instructions(id) ON DELETE SET NULL,
                category TEXT,
                category_source TEXT,
                split TEXT NOT NULL,
                state TEXT NOT NULL,
                norm_hash TEXT NOT NULL UNIQUE,
                origin_file TEXT,
                origin_line INTEGER,
                created_round INTEGER NOT NULL DEFAULT 0,
                created_at DATETIME NOT NULL
            );
            CREATE INDEX instructions_split_state ON instructions(split, state);
            CREATE INDEX instructions_category ON instructions(category);
            CREATE INDEX instructions_parent ON instructions(parent_id);

            CREATE TABLE responses (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                instruction_id INTEGER NOT NULL REFERENCES instructions(id) ON DELETE CASCADE,
                role TEXT NOT NULL,
                round INTEGER NOT NULL,
                model TEXT NOT NULL,
                text TEXT NOT NULL,
                prompt_tokens INTEGER,
                completion_tokens INTEGER,
                latency REAL,
                origin TEXT,
                created_at DATETIME NOT NULL,
                UNIQUE (instruction_id, role, round)
            );
            CREATE INDEX responses_round_role ON responses(round, role);

            CREATE TABLE judgements (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                instruction_id INTEGER NOT NULL REFERENCES instructions(id) ON DELETE CASCADE,
                round INTEGER NOT NULL,
                teacher_score_ab REAL,
                student_score_ab REAL,
                teacher_score_ba REAL,
                student_score_ba REAL,
                mfd REAL,
                rationale TEXT,
                judge_model TEXT NOT NULL,
                status TEXT NOT NULL,
                error TEXT,
                created_at DATETIME NOT NULL,
                UNIQUE (instruction_id, round)
            );
            CREATE INDEX judgements_round_mfd ON judgements(round, mfd);

            CREATE TABLE difficulty (
                instruction_id INTEGER NOT NULL REFERENCES instructions(id) ON DELETE CASCADE,
                round INTEGER NOT NULL,
                kind TEXT NOT NULL,
                value REAL NOT NULL,
                PRIMARY KEY (instruction_id, round, kind)
            );
            CREATE INDEX difficulty_round_kind_value ON difficulty(round, kind, value);

            CREATE TABLE selection (
                instruction_id INTEGER NOT NULL REFERENCES instructions(id) ON DELETE CASCADE,
                round INTEGER NOT NULL,
                hard BOOLEAN NOT NULL,
                value REAL NOT NULL,
                delta REAL NOT NULL,
                PRIMARY KEY (instruction_id, round)
            );
            CREATE INDEX selection_round_hard_value ON selection(round, hard, value);

            CREATE TABLE rounds (
                number INTEGER PRIMARY KEY,
                alpha REAL NOT NULL,
                delta REAL NOT NULL,
                stage TEXT,
                stage_state TEXT NOT NULL,
                started_at DATETIME,
                finished_at DATETIME,
                metrics TEXT NOT NULL DEFAULT '{}',
                win_rate REAL
            );

            CREATE TABLE expansions (
                instruction_id INTEGER PRIMARY KEY REFERENCES instructions(id) ON DELETE CASCADE,
                parent_id INTEGER REFERENCES instructions(id) ON DELETE SET NULL,
                round INTEGER NOT NULL,
                state TEXT NOT NULL,
                original_text TEXT NOT NULL,
                reviewer_note TEXT,
                similarity REAL,
                nearest_ids TEXT NOT NULL DEFAULT '[]',
                created_at DATETIME NOT NULL,
                reviewed_at DATETIME
            );
            CREATE INDEX expansions_state_round ON expansions(state, round);

            CREATE TABLE llm_calls (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                request_hash TEXT NOT NULL,
                role TEXT NOT NULL,
                stage TEXT,
                round INTEGER,
                endpoint TEXT NOT NULL,
                model TEXT NOT NULL,
                status TEXT NOT NULL,
                response_text TEXT,
                finish_reason TEXT,
                prompt_tokens INTEGER NOT NULL DEFAULT 0,
                completion_tokens INTEGER NOT NULL DEFAULT 0,
                cost REAL NOT NULL DEFAULT 0,
                latency REAL NOT NULL DEFAULT 0,
                error TEXT,
                created_at DATETIME NOT NULL
            );
            CREATE UNIQUE INDEX llm_calls_ok_hash ON llm_calls(request_hash) WHERE status = 'ok';
            CREATE INDEX llm_calls_ledger ON llm_calls(role, stage, round);

            CREATE TABLE trainer_runs (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                round INTEGER NOT NULL,
                command TEXT NOT NULL,
                status TEXT NOT NULL,
                exit_code INTEGER,
                started_at DATETIME NOT NULL,
                finished_at DATETIME,
                log_path TEXT,
                output TEXT
            );
            CREATE INDEX trainer_runs_round ON trainer_runs(round);

            CREATE TABLE trainer_loss (
                run_id INTEGER NOT NULL REFERENCES trainer_runs(id) ON DELETE CASCADE,
                step INTEGER NOT NULL,
                loss REAL NOT NULL,
                PRIMARY KEY (run_id, step)
            );

            CREATE TABLE evaluations (
                round INTEGER NOT NULL,
                instruction_id INTEGER NOT NULL REFERENCES instructions(id) ON DELETE CASCADE,
                verdict TEXT NOT NULL,
                category TEXT,
                student_score REAL,
                reference_score REAL,
                rationale TEXT,
                PRIMARY KEY (round, instruction_id)
            );

            CREATE TABLE events (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                time DATETIME NOT NULL,
                level TEXT NOT NULL,
                source TEXT NOT NULL,
                message TEXT NOT NULL,
                round INTEGER,
                stage TEXT
            );
            CREATE INDEX events_level ON events(level, id);
            """)
    }

    /// Stage progress for ETAs, composed training sets, human control decisions, and the
    /// dashboard's per-round category index.
    static func v2(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE stage_progress (
                round INTEGER NOT NULL,
                stage TEXT NOT NULL,
                done INTEGER NOT NULL,
                total INTEGER NOT NULL,
                started_at DATETIME NOT NULL,
                updated_at DATETIME NOT NULL,
                PRIMARY KEY (round, stage)
            );

            CREATE TABLE compositions (
                round INTEGER NOT NULL,
                instruction_id INTEGER NOT NULL REFERENCES instructions(id) ON DELETE CASCADE,
                repeat_index INTEGER NOT NULL,
                response_id INTEGER NOT NULL REFERENCES responses(id) ON DELETE CASCADE,
                hard BOOLEAN NOT NULL,
                position INTEGER NOT NULL,
                PRIMARY KEY (round, instruction_id, repeat_index)
            );
            CREATE INDEX compositions_round_position ON compositions(round, position);

            CREATE TABLE control (
                key TEXT PRIMARY KEY,
                value TEXT NOT NULL,
                updated_at DATETIME NOT NULL
            );

            CREATE INDEX instructions_created_round ON instructions(created_round, state);
            CREATE INDEX instructions_source ON instructions(source, state);
            CREATE INDEX evaluations_round_category ON evaluations(round, category, verdict);
            """)
    }

    /// Covering indices so status counts never scan the instruction texts.
    static func v3(_ db: Database) throws {
        try db.execute(sql: """
            CREATE INDEX instructions_state_category ON instructions(state, category);
            CREATE INDEX responses_role ON responses(role);
            """)
    }

    /// The call cache separated from the ledger (`llm_calls` keeps one row per paid call;
    /// `llm_cache` points each request hash at its latest successful call), and the health
    /// of each endpoint role.
    static func v4(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE llm_cache (
                request_hash TEXT PRIMARY KEY,
                call_id INTEGER NOT NULL REFERENCES llm_calls(id) ON DELETE CASCADE
            );
            INSERT INTO llm_cache (request_hash, call_id)
                SELECT request_hash, MAX(id) FROM llm_calls
                WHERE status = 'ok' AND response_text IS NOT NULL GROUP BY request_hash;
            DROP INDEX llm_calls_ok_hash;
            CREATE INDEX llm_calls_hash ON llm_calls(request_hash);
            ALTER TABLE llm_calls ADD COLUMN attempts INTEGER NOT NULL DEFAULT 1;

            CREATE TABLE role_health (
                role TEXT PRIMARY KEY,
                state TEXT NOT NULL,
                reason TEXT,
                last_error TEXT,
                consecutive_failures INTEGER NOT NULL DEFAULT 0,
                last_success_at DATETIME,
                last_failure_at DATETIME,
                revision INTEGER NOT NULL DEFAULT 0,
                updated_at DATETIME NOT NULL
            );
            """)
    }

    /// The rounds whose training set holds an instruction (Samples lineage) without
    /// scanning every composition.
    static func v5(_ db: Database) throws {
        try db.execute(sql: "CREATE INDEX compositions_instruction ON compositions(instruction_id, round)")
    }

    /// The trainer's process group, recorded at spawn so that a restarted engine can end a
    /// trainer a killed engine left behind: its leader's pid, the group id, and the leader's
    /// start time (clock ticks since boot, `/proc/<pid>/stat` field 22) to tell a reused pid.
    static func v6TrainerProcess(_ db: Database) throws {
        try db.execute(sql: """
            ALTER TABLE trainer_runs ADD COLUMN pid INTEGER;
            ALTER TABLE trainer_runs ADD COLUMN pgid INTEGER;
            ALTER TABLE trainer_runs ADD COLUMN process_start_ticks INTEGER;
            """)
    }
}
