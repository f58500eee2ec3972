"""Governance: boards, members, meetings, papers, minutes, actions, the board pack and the
meetings calendar."""
