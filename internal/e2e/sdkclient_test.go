package e2e_test

import (
	"bytes"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// sdkClient calls the acquiring gateway the way Alipay's Go merchant SDK
// (global-open-sdk-go, DefaultAlipayClient.Execute) does, written from its
// behaviour with the standard library only, so that it checks our
// signing code instead of sharing it:
//   - the body is json.Marshal of the request;
//   - "/ams/api" becomes "/ams/sandbox/api" when the Client-Id starts with
//     SANDBOX_;
//   - Request-Time is epoch milliseconds;
//   - the signed content is "POST <path>\n<clientId>.<time>.<body>",
//     SHA256withRSA, base64, URL-query-escaped, sent as
//     "algorithm=RSA256,keyVersion=1,signature=<sig>", with Key-Version: 1;
//   - the answer is verified with the gateway's public key over the
//     request's path, the answer's Client-Id and Response-Time headers and
//     the body, the signature taken after "signature=".
type sdkClient struct {
	gateway  string
	clientID string
	key      *rsa.PrivateKey
	peer     *rsa.PublicKey
	now      func() time.Time
}

// sdkAnswer is one exchange's outcome.
type sdkAnswer struct {
	Body   map[string]any
	Raw    []byte
	Header http.Header
}

// result is the answer's result object.
func (a sdkAnswer) result() (status, code string) {
	r, _ := a.Body["result"].(map[string]any)
	s, _ := r["resultStatus"].(string)
	c, _ := r["resultCode"].(string)
	return s, c
}

func (a sdkAnswer) str(name string) string {
	s, _ := a.Body[name].(string)
	return s
}

func (c *sdkClient) execute(path string, param any) (sdkAnswer, error) {
	payload, err := json.Marshal(param)
	if err != nil {
		return sdkAnswer{}, err
	}
	if strings.HasPrefix(c.clientID, "SANDBOX_") {
		path = strings.Replace(path, "/ams/api", "/ams/sandbox/api", 1)
	}
	now := time.Now
	if c.now != nil {
		now = c.now
	}
	reqTime := strconv.FormatInt(now().UnixMilli(), 10)
	sig, err := c.sign(path, reqTime, payload)
	if err != nil {
		return sdkAnswer{}, err
	}
	req, err := http.NewRequest(http.MethodPost, c.gateway+path, bytes.NewReader(payload))
	if err != nil {
		return sdkAnswer{}, err
	}
	req.Header.Set("Content-type", "application/json")
	for k, v := range map[string]string{"Content-Type": "application/json; charset=UTF-8", "Request-Time": reqTime,
		"Client-Id": c.clientID, "Key-Version": "1", "Signature": "algorithm=RSA256,keyVersion=1,signature=" + sig} {
		req.Header.Add(k, v)
	}
	resp, err := (&http.Client{Timeout: 30 * time.Second}).Do(req)
	if err != nil {
		return sdkAnswer{}, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return sdkAnswer{}, err
	}
	if err := verifySDK(c.peer, path, resp.Header.Get("Client-id"), resp.Header.Get("response-time"), body, resp.Header.Get("Signature")); err != nil {
		return sdkAnswer{}, fmt.Errorf("check signature fail: %v (answer %s)", err, body)
	}
	a := sdkAnswer{Raw: body, Header: resp.Header}
	if err := json.Unmarshal(body, &a.Body); err != nil {
		return sdkAnswer{}, err
	}
	return a, nil
}

func (c *sdkClient) sign(path, reqTime string, body []byte) (string, error) {
	content := "POST " + path + "\n" + c.clientID + "." + reqTime + "." + string(body)
	sum := sha256.Sum256([]byte(content))
	raw, err := rsa.SignPKCS1v15(rand.Reader, c.key, crypto.SHA256, sum[:])
	if err != nil {
		return "", err
	}
	return url.QueryEscape(base64.StdEncoding.EncodeToString(raw)), nil
}

// verifySDK is the SDKs' CheckSignature: for answers and for notifications.
func verifySDK(pub *rsa.PublicKey, path, clientID, t string, body []byte, header string) error {
	if header == "" {
		return fmt.Errorf("empty signature")
	}
	parts := strings.Split(header, "signature=")
	if len(parts) < 2 {
		return fmt.Errorf("no signature= in %q", header)
	}
	unescaped, err := url.QueryUnescape(parts[1])
	if err != nil {
		return err
	}
	raw, err := base64.StdEncoding.DecodeString(unescaped)
	if err != nil {
		return err
	}
	content := "POST " + path + "\n" + clientID + "." + t + "." + string(body)
	sum := sha256.Sum256([]byte(content))
	return rsa.VerifyPKCS1v15(pub, crypto.SHA256, sum[:], raw)
}
