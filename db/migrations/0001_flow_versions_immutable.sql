CREATE OR REPLACE FUNCTION reject_flow_version_update() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'flow_versions are immutable; publish a new version instead';
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER flow_versions_immutable BEFORE UPDATE ON flow_versions
  FOR EACH ROW EXECUTE FUNCTION reject_flow_version_update();
