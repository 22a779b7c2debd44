# second-queue.sieve - a second queue: billing questions go to their own
# queue and folder; everything else follows the standard flow.
require ["vnd.ackmail", "fileinto", "mailbox", "variables"];

if ackmail_duplicate { keep; stop; }

if allof (not ackmail_robot, not ackmail_staff,
          anyof (address :is "to" "billing@example.com",
                 header :contains "subject" ["invoice", "Rechnung", "facture"])) {
    ackmail_issue :queue "billing";
    ackmail_acknowledge;
    fileinto :create "Billing";
    stop;
}

# the rest: as rules/default.sieve
if anyof (ackmail_staff, ackmail_robot, ackmail_class "loop") {
    ackmail_issue;
    keep;
    stop;
}
ackmail_issue;
ackmail_acknowledge;
keep;
