-- The team-performance trigger on ticket updates (migration 055) runs only when a column the
-- rollups depend on changed. Most updates of a ticket (its subject, tags, a customer's message,
-- the version, last activity) change none of them; a trigger's WHEN is checked without calling
-- PL/pgSQL at all, where before every update computed two signatures to find nothing to do.
-- The columns are those of tickets_performance_trigger's key (created_at, assignee_id, team_id,
-- merged_into_id) and of ticket_performance_signature.
DROP TRIGGER tickets_performance ON tickets;

CREATE TRIGGER tickets_performance AFTER INSERT ON tickets
  FOR EACH ROW EXECUTE FUNCTION tickets_performance_trigger();

CREATE TRIGGER tickets_performance_update AFTER UPDATE ON tickets
  FOR EACH ROW
  WHEN (OLD.created_at IS DISTINCT FROM NEW.created_at
     OR OLD.assignee_id IS DISTINCT FROM NEW.assignee_id
     OR OLD.team_id IS DISTINCT FROM NEW.team_id
     OR OLD.merged_into_id IS DISTINCT FROM NEW.merged_into_id
     OR OLD.status IS DISTINCT FROM NEW.status
     OR OLD.solved_at IS DISTINCT FROM NEW.solved_at
     OR OLD.public_reply_count IS DISTINCT FROM NEW.public_reply_count
     OR OLD.reopen_count IS DISTINCT FROM NEW.reopen_count
     OR OLD.first_response_at IS DISTINCT FROM NEW.first_response_at
     OR OLD.first_customer_message_at IS DISTINCT FROM NEW.first_customer_message_at)
  EXECUTE FUNCTION tickets_performance_trigger();
