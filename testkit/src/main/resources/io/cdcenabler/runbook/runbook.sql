-- The manual runbook that cdc-enabler replaces, kept as the BASELINE for tests and the benchmark.
-- It is deliberately reproduced with its defects; it is not product code and nothing in the product runs it.
--
-- Source: Bemi documentation, "Amazon Web Services RDS" page, "Read-only credentials" and "Disconnecting"
-- sections (https://docs.bemi.io/hosting/aws, https://docs.bemi.io/postgresql/source-database), and the
-- "Self-managed PostgreSQL" section of the same documentation for servers without the rds_replication role.
-- The statements are theirs; only their order is regrouped into sections. [username], [password] and
-- [publication] are pasted in as plain text, the way the page's readers fill them in (the page names the
-- publication bemi).
--
-- Format read by io.cdcenabler.runbook.RunbookSql: "-- @section <name>" starts a section and every statement
-- ends with a line "-- @end" (PL/pgSQL bodies contain semicolons, so the text is never split on ';').

-- @section user-rds
-- Create read-only user
CREATE ROLE [username] WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION PASSWORD '[password]';
-- @end
-- Grant RDS replication permission
GRANT rds_replication TO [username];
-- @end
-- Grant SELECT access to existing tables for selective tracking
GRANT SELECT ON ALL TABLES IN SCHEMA public TO [username];
-- @end
-- Grant SELECT access to new tables created in the future for selective tracking
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO [username];
-- @end

-- @section user-self-managed
-- Create read-only user with REPLICATION permission
CREATE ROLE [username] WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE REPLICATION PASSWORD '[password]';
-- @end
-- Grant SELECT access to tables for selective tracking
GRANT SELECT ON ALL TABLES IN SCHEMA public TO [username];
-- @end
-- Grant SELECT access to new tables created in the future for selective tracking
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO [username];
-- @end

-- @section publication
-- Create "bemi" PUBLICATION to enable logical replication
CREATE PUBLICATION [publication] FOR ALL TABLES;
-- @end

-- @section replica-identity
-- Create a procedure to set REPLICA IDENTITY FULL for tables to track the "before" state on DB row changes
CREATE OR REPLACE PROCEDURE _bemi_set_replica_identity() AS $$ DECLARE current_tablename TEXT;
BEGIN
  FOR current_tablename IN SELECT tablename FROM pg_tables LEFT JOIN pg_class ON relname = tablename WHERE schemaname = 'public' AND relkind != 'f' AND relreplident != 'f' LOOP
    EXECUTE format('ALTER TABLE %I REPLICA IDENTITY FULL', current_tablename);
  END LOOP;
END $$ LANGUAGE plpgsql;
-- @end
-- Call the created procedure
CALL _bemi_set_replica_identity();
-- @end
-- Create a trigger function that calls the created procedure
CREATE OR REPLACE FUNCTION _bemi_set_replica_identity_func() RETURNS event_trigger AS $$
BEGIN CALL _bemi_set_replica_identity(); END $$ LANGUAGE plpgsql;
-- @end
-- Create a trigger to set REPLICA IDENTITY FULL for all new created tables
CREATE EVENT TRIGGER _bemi_set_replica_identity_trigger ON ddl_command_end WHEN TAG IN ('CREATE TABLE')
EXECUTE FUNCTION _bemi_set_replica_identity_func();
-- @end

-- @section remove-replica-identity
DROP EVENT TRIGGER _bemi_set_replica_identity_trigger;
-- @end
DROP FUNCTION _bemi_set_replica_identity_func;
-- @end
DROP PROCEDURE _bemi_set_replica_identity;
-- @end
