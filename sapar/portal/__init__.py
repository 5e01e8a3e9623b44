"""The participants' portal: students and staff sign in by a one-time link sent to their
e-mail, apply for a call the university opened, hand in their own papers and follow their
case. Participants see their own cases only and take no step of the offices (sapar/portal)."""
