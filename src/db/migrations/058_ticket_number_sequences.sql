-- Ticket numbers (#1, #2, … per workspace) from a sequence per workspace instead of
-- `UPDATE workspaces SET next_ticket_number = next_ticket_number + 1`: that update held the
-- workspace row's lock until the ticket's transaction committed, so every create in a workspace
-- waited for the one before it (one create per commit and fsync, whatever the concurrency).
-- nextval() takes no lock that lasts past the call.
--
-- The price, as in Zendesk: numbers are unique and increasing but not gap-free — a create that
-- rolls back after drawing its number leaves that number unused.
--
-- workspaces.next_ticket_number now says where a workspace's sequence starts: the sequence is
-- made from it when the workspace row is inserted (creation, demo seeding, CLI, tests and
-- `truthdesk import`, whose export writes the live next number into it), and setting the column
-- moves the sequence (as setting it used to move the counter). The live next number is
-- ticket_number_peek(ws); the column is not kept up to date.

-- The sequence's name for a workspace (unquoted: hex digits and underscores only).
CREATE FUNCTION ticket_number_sequence(ws uuid) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT 'ticket_numbers_' || replace(ws::text, '-', '') $$;

-- The workspace's next ticket number, drawn now (outside the transaction's rollback).
CREATE FUNCTION next_ticket_number(ws uuid) RETURNS integer
  LANGUAGE sql VOLATILE
  AS $$ SELECT nextval(ticket_number_sequence(ws)::regclass)::integer $$;

-- The number the next ticket would get, without drawing it (exports, tests).
CREATE FUNCTION ticket_number_peek(ws uuid) RETURNS integer
  LANGUAGE plpgsql STABLE AS $$
DECLARE
  v bigint;
  called boolean;
BEGIN
  EXECUTE format('SELECT last_value, is_called FROM %I', ticket_number_sequence(ws)) INTO v, called;
  RETURN (CASE WHEN called THEN v + 1 ELSE v END)::integer;
END $$;

CREATE FUNCTION workspaces_ticket_numbers_trigger() RETURNS trigger
  LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    EXECUTE format('CREATE SEQUENCE %I AS integer MINVALUE 1 START WITH %s', ticket_number_sequence(NEW.id), greatest(NEW.next_ticket_number, 1));
  ELSIF TG_OP = 'UPDATE' THEN
    PERFORM setval(ticket_number_sequence(NEW.id)::regclass, greatest(NEW.next_ticket_number, 1), false);
  ELSE
    EXECUTE format('DROP SEQUENCE IF EXISTS %I', ticket_number_sequence(OLD.id));
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER workspaces_ticket_numbers AFTER INSERT OR DELETE ON workspaces
  FOR EACH ROW EXECUTE FUNCTION workspaces_ticket_numbers_trigger();
CREATE TRIGGER workspaces_ticket_numbers_set AFTER UPDATE OF next_ticket_number ON workspaces
  FOR EACH ROW WHEN (OLD.next_ticket_number IS DISTINCT FROM NEW.next_ticket_number)
  EXECUTE FUNCTION workspaces_ticket_numbers_trigger();

-- Existing workspaces continue from their counter (and never below a number already used).
DO $$
DECLARE w record;
BEGIN
  FOR w IN SELECT id, greatest(next_ticket_number, coalesce((SELECT max(number) + 1 FROM tickets t WHERE t.workspace_id = ws.id), 1)) AS next
           FROM workspaces ws LOOP
    EXECUTE format('CREATE SEQUENCE %I AS integer MINVALUE 1 START WITH %s', ticket_number_sequence(w.id), w.next);
  END LOOP;
END $$;
