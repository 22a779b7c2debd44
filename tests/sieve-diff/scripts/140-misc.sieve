discard; keep;
