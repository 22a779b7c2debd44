redirect "Someone <someone@example.net>";
