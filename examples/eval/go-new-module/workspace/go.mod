module example.com/evaltask

go 1.19
