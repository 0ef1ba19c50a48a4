"""Change control: what changed between two versions of a leaflet (diff), between
two print files (compare), and which words a reviewer approved (approvals)."""
