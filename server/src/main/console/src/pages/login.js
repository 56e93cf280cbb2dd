/** The login form: the token is checked with GET /api/whoami before it is kept. */
export function loginPage(main, login) {
  main.innerHTML = `
    <h1>Log in</h1>
    <form id="login">
      <label for="token">API token</label>
      <input id="token" name="token" type="password" autocomplete="current-password" required>
      <button type="submit">Log in</button>
      <p id="login-error" role="alert"></p>
    </form>`;
  const form = main.querySelector("#login");
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    try {
      await login(form.token.value.trim());
    } catch (err) {
      main.querySelector("#login-error").textContent =
        err.status === 401 ? "That token is not accepted." : err.message;
    }
  });
  form.token.focus();
}
