-- A turn that ran on a presumption (server/pipeline/presumed-first-turn.ts) checks it under its lock, in the
-- same transaction as its write; a presumption that no longer holds aborts the transaction with CB001, so
-- nothing is written and the caller runs the turn the long way.
CREATE OR REPLACE FUNCTION require_presumption(holds boolean) RETURNS boolean AS $$
BEGIN
  IF holds IS NOT TRUE THEN
    RAISE EXCEPTION 'the turn''s presumption no longer holds' USING ERRCODE = 'CB001';
  END IF;
  RETURN true;
END;
$$ LANGUAGE plpgsql;
