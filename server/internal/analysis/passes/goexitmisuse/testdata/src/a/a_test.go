package a

import "testing"

func mustT(t *testing.T, err error) {
	if err != nil {
		t.Fatal(err)
	}
}

func TestHelperInGoroutine(t *testing.T) {
	done := make(chan struct{})
	go func() {
		defer close(done)
		mustT(t, work()) // want `mustT may stop t with runtime.Goexit`
	}()
	<-done
}

func TestTestingMethodsAreVets(t *testing.T) {
	done := make(chan struct{})
	go func() {
		defer close(done)
		t.Fatal("reported by go vet's testinggoroutine, not here")
	}()
	<-done
}
