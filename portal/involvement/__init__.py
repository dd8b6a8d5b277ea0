"""Involvement and payments: what each member took part in, what they are owed and were paid."""
