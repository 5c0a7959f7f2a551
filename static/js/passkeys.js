/* Progressive enhancement only: without this file (or a browser without passkeys) the
   two-factor pages work with codes from an authenticator app.
   1. [data-passkey-register]: "Add a passkey" asks the server for options, lets the browser
      make a passkey (navigator.credentials.create) and sends it back with its name.
   2. [data-passkey-sign-in]: "Use a passkey" at the second step of signing in
      (navigator.credentials.get), then goes where the server says.
   Both are hidden until this file shows them; the server's messages are shown in the
   element marked data-passkey-error (a live region). */
(function () {
  'use strict';

  if (!window.PublicKeyCredential || !navigator.credentials) return;

  function toBytes(base64url) {
    const base64 = base64url.replace(/-/g, '+').replace(/_/g, '/');
    const padded = base64 + '==='.slice((base64.length + 3) % 4);
    return Uint8Array.from(atob(padded), (c) => c.charCodeAt(0)).buffer;
  }

  function toBase64url(buffer) {
    let text = '';
    new Uint8Array(buffer).forEach((byte) => { text += String.fromCharCode(byte); });
    return btoa(text).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  }

  function post(url, csrf, body) {
    return fetch(url, {
      method: 'POST', credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', 'X-CSRFToken': csrf },
      body: JSON.stringify(body || {}),
    }).then((response) => response.json().then((data) => ({ ok: response.ok, data })));
  }

  function credentialJSON(credential) {
    const response = credential.response;
    const json = {
      id: credential.id, rawId: toBase64url(credential.rawId), type: credential.type,
      clientExtensionResults: credential.getClientExtensionResults(), response: {
        clientDataJSON: toBase64url(response.clientDataJSON),
      },
    };
    if (response.attestationObject) {
      json.response.attestationObject = toBase64url(response.attestationObject);
      if (response.getTransports) json.response.transports = response.getTransports();
    } else {
      json.response.authenticatorData = toBase64url(response.authenticatorData);
      json.response.signature = toBase64url(response.signature);
      if (response.userHandle) json.response.userHandle = toBase64url(response.userHandle);
    }
    return json;
  }

  function showError(box, message) {
    const error = box.querySelector('[data-passkey-error]');
    if (message) error.textContent = message;
    error.hidden = false;
  }

  function creationOptions(options) {
    options.challenge = toBytes(options.challenge);
    options.user.id = toBytes(options.user.id);
    (options.excludeCredentials || []).forEach((c) => { c.id = toBytes(c.id); });
    return options;
  }

  function requestOptions(options) {
    options.challenge = toBytes(options.challenge);
    (options.allowCredentials || []).forEach((c) => { c.id = toBytes(c.id); });
    return options;
  }

  function enhance(box, run) {
    const button = box.querySelector('[data-passkey-button]');
    box.hidden = false;
    document.querySelectorAll('[data-passkey-no-js]').forEach((note) => { note.hidden = true; });
    button.addEventListener('click', () => {
      button.disabled = true;
      box.querySelector('[data-passkey-error]').hidden = true;
      run(box)
        .then((result) => {
          if (result.ok && result.data.redirect) {
            window.location.assign(result.data.redirect);
          } else {
            showError(box, result.data && result.data.error);
          }
        })
        .catch(() => showError(box))
        .finally(() => { button.disabled = false; });
    });
  }

  function register(box) {
    const csrf = box.dataset.csrf;
    const name = box.querySelector('input[name="passkey_name"]');
    return post(box.dataset.optionsUrl, csrf).then((answer) => {
      if (!answer.ok) return answer;
      return navigator.credentials.create({ publicKey: creationOptions(answer.data) })
        .then((credential) => post(box.dataset.addUrl, csrf, {
          name: name ? name.value : '', credential: credentialJSON(credential),
        }));
    });
  }

  function signIn(box) {
    const csrf = box.dataset.csrf;
    return post(box.dataset.optionsUrl, csrf).then((answer) => {
      if (!answer.ok) return answer;
      return navigator.credentials.get({ publicKey: requestOptions(answer.data) })
        .then((credential) => post(box.dataset.verifyUrl, csrf, credentialJSON(credential)));
    });
  }

  document.querySelectorAll('[data-passkey-register]').forEach((box) => enhance(box, register));
  document.querySelectorAll('[data-passkey-sign-in]').forEach((box) => enhance(box, signIn));
}());
