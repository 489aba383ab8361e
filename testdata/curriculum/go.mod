module fixture.curriculum

go 1.26
