package legacy

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"time"
)

// rate asks the exchange-rate service how many `to` one `from` is worth, as
// the fraction num/den, and caches the answer for ten minutes.
//
//	GET {FXURL}/rate?from=USD&to=EUR  ->  200 {"num": 92, "den": 100}
func rate(from, to string) (int64, int64, error) {
	key := "fx:" + from + ":" + to
	if v, ok := cacheGet(key, 10*time.Minute); ok {
		r := v.([]int64)
		return r[0], r[1], nil
	}
	resp, err := http.DefaultClient.Get(FXURL + "/rate?from=" + from + "&to=" + to)
	if err != nil {
		return 0, 0, errors.New("fx: " + err.Error())
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		return 0, 0, fmt.Errorf("fx: status %d", resp.StatusCode)
	}
	var body map[string]interface{}
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		return 0, 0, errors.New("fx: " + err.Error())
	}
	n, ok1 := num(body["num"])
	d, ok2 := num(body["den"])
	if !ok1 || !ok2 || n <= 0 || d <= 0 {
		return 0, 0, errors.New("fx: bad rate")
	}
	cacheSet(key, []int64{n, d})
	return n, d, nil
}
