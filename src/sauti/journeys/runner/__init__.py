"""The journeys shell: sessions in the database, effects carried out, triggers matched."""
