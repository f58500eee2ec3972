"""Pure calculations for the partnership app (no ORM): quorum, academic years, support figures."""
