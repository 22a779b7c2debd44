if header :contains "subject" text:
re
.
{ discard; }
