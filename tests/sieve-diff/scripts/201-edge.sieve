if header :is "" "" { discard; }
if exists "a b" { discard; }
