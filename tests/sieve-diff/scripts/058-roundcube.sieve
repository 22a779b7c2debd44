require ["date", "fileinto", "relational"];
# rule:[filter 11]
if anyof (date :value "ge" "date" "year" "2010", date :is "date" "weekday" ["0", "6"])
{
	keep; fileinto "Dup";
	stop;
}
# rule:[catch]
if true
{
	fileinto "Rest";
}
